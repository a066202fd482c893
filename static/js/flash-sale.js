// The flash-sale page: a countdown to the start, live stock and buyers, and a Buy button that
// reserves a unit, then polls the order task until it shows the order or the failure.
(function () {
  "use strict";
  var page = document.getElementById("sale");
  if (!page) return;

  var POLL_MS = 2000;        // task status polling interval
  var GIVE_UP_MS = 60000;    // stop polling after this long
  var LIVE_MS = 3000;        // stock and feed refresh

  var startsAt = Number(page.dataset.startsAt);
  var endsAt = Number(page.dataset.endsAt);
  var skew = Number(page.dataset.serverNow) - Date.now(); // server clock minus ours
  var countdown = page.querySelector("[data-countdown]");
  var stockLeft = page.querySelector("[data-stock-left]");
  var form = page.querySelector("[data-buy-form]");
  var button = page.querySelector("[data-buy-button]");
  var statusLine = page.querySelector("[data-buy-status]");
  var feedList = document.querySelector("[data-feed]");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var busy = false, bought = false, soldOut = false;

  function now() { return Date.now() + skew; }

  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (d ? d + "d " : "") + pad(h) + ":" + pad(m) + ":" + pad(s % 60);
  }

  function tick() {
    var t = now();
    if (t < startsAt) countdown.textContent = "Starts in " + duration(startsAt - t);
    else if (t < endsAt) countdown.textContent = "Ends in " + duration(endsAt - t);
    else countdown.textContent = "This sale has ended.";
    button.disabled = busy || bought || soldOut || t < startsAt || t >= endsAt;
  }

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "buy-status" + (kind ? " buy-" + kind : "");
    statusLine.dataset.state = kind || "";
  }

  function refreshLive() {
    fetch(page.dataset.liveUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (live) {
        if (!live) return;
        if (live.stock !== null) {
          stockLeft.textContent = live.stock;
          soldOut = live.stock <= 0;
        }
        if (live.feed.length) {
          feedList.innerHTML = "";
          live.feed.forEach(function (entry) {
            var li = document.createElement("li");
            li.textContent = entry.who + " bought " + entry.product;
            feedList.appendChild(li);
          });
        }
        tick();
      })
      .catch(function () { /* the next refresh tries again */ });
  }

  function poll(statusUrl, startedAt) {
    if (Date.now() - startedAt > GIVE_UP_MS) {
      busy = false;
      say("We could not confirm your order yet. It may still appear under My orders in a minute.", "unknown");
      return;
    }
    fetch(statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; }); })
      .then(function (reply) {
        var task = reply.body;
        if (reply.status === 404) { // this session no longer knows the task: stop asking
          busy = false;
          say("We lost track of this order's status; see My orders.", "unknown");
          return;
        }
        if (!reply.ok) throw new Error(task.message || "status unavailable");
        if (task.state === "SUCCESS") {
          bought = true; busy = false;
          var minutes = Math.round(task.result.pay_within_seconds / 60);
          say("Order #" + task.result.order_id + " created — pay within " + minutes +
              " minute" + (minutes === 1 ? "" : "s") + " (see My orders).", "success");
          refreshLive();
        } else if (task.state === "FAILURE") {
          busy = false;
          say("Your order could not be created: " + (task.error || "unknown error"), "error");
        } else {
          say(task.state === "STARTED" ? "Creating your order…" : "Queued: your unit is reserved, creating the order…", "queued");
          setTimeout(function () { poll(statusUrl, startedAt); }, POLL_MS);
        }
      })
      .catch(function () { setTimeout(function () { poll(statusUrl, startedAt); }, POLL_MS); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true; tick();
    say("Sending…", "queued");
    fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (reply) {
        if (reply.status === 202) {
          say("Queued: your unit is reserved, creating the order…", "queued");
          setTimeout(function () { poll(reply.body.status_url, Date.now()); }, POLL_MS);
          return;
        }
        busy = false;
        if (reply.status === 401) say("Please log in to buy.", "error");
        else say(reply.body.message || "Something went wrong; please try again.", "error");
        if (reply.status === 409) refreshLive();
        tick();
      })
      .catch(function () {
        busy = false; tick();
        say("Could not reach the shop. Check your connection and try again.", "error");
      });
  });

  tick();
  setInterval(tick, 1000);
  refreshLive();
  setInterval(refreshLive, LIVE_MS);
})();
