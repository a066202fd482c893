// The login page, better with JavaScript: "Send code" posts with fetch, counts down to the
// next allowed resend, and follows the send task (the status_url the answer gives) to say "sending…", "sent"
// or "could not send, try again". Without JavaScript both forms post as plain forms.
(function () {
  "use strict";
  var sendForm = document.getElementById("send-code-form");
  var loginForm = document.getElementById("login-form");
  if (!sendForm || !loginForm || !window.fetch) return;

  var button = document.getElementById("send-code");
  var status = document.getElementById("send-status");
  var sentTo = document.getElementById("code-sent-to");
  var codeInput = loginForm.querySelector("input[name=code]");
  var loginPhone = loginForm.querySelector("input[name=phone]");
  var timer = null;
  var POLL_MS = 1000;
  var POLL_LIMIT = 120;

  function say(text, kind) {
    status.textContent = text;
    status.className = "send-status" + (kind ? " is-" + kind : " muted");
  }

  function countdown(seconds) {
    clearInterval(timer);
    var until = Date.now() + Math.max(0, seconds) * 1000;
    function tick() {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.textContent = "Send code";
        return;
      }
      button.disabled = true;
      button.textContent = "Send again in " + left + " s";
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  function follow(statusUrl, polls) {
    fetch(statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (task) {
        if (task.state === "SUCCESS") {
          say("Sent. Check your phone.", "ok");
        } else if (task.state === "FAILURE") {
          say("Could not send the code. Please try again.", "error");
        } else if (polls < POLL_LIMIT) {
          say(task.state === "RETRY" ? "Sending… (retrying)" : "Sending…");
          setTimeout(function () { follow(statusUrl, polls + 1); }, POLL_MS);
        } else {
          say("This is taking long. If no SMS arrives, try again.", "error");
        }
      })
      .catch(function () {
        say("Could not check on the code. If no SMS arrives, try again.", "error");
      });
  }

  sendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var phone = sendForm.querySelector("input[name=phone]").value;
    button.disabled = true;
    say("Sending…");
    fetch(sendForm.action, {
      method: "POST",
      body: new FormData(sendForm),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) { return { response: response, body: body }; });
      })
      .then(function (reply) {
        var body = reply.body;
        if (reply.response.status === 202) {
          loginPhone.value = phone;
          sentTo.textContent = "Code sent to " + body.to + ".";
          countdown(body.resend_in);
          codeInput.focus();
          if (body.delayed) {
            say(body.message, "error");
            return;
          }
          follow(body.status_url, 0);
          return;
        }
        say(body.message || "Could not send the code. Please try again.", "error");
        var retryAfter = parseInt(reply.response.headers.get("Retry-After") || "0", 10);
        if (reply.response.status === 429 && retryAfter > 0 && retryAfter < 3600) {
          countdown(retryAfter);
        } else {
          button.disabled = false;
        }
      })
      .catch(function () {
        say("Could not reach the site. Check your connection and try again.", "error");
        button.disabled = false;
      });
  });

  countdown(parseInt(button.getAttribute("data-resend-in") || "0", 10));
})();
