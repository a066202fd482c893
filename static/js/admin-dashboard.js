// The admin dashboard: refetches its figures from a small JSON endpoint every few seconds
// and updates the page in place (no full reload). Without JavaScript the page is still whole.
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard]");
  if (!root) return;
  var source = root.dataset.source;
  var interval = parseInt(root.dataset.interval, 10) || 5000;
  var status = root.querySelector("[data-live-status]");
  var zone = root.dataset.timezone || "UTC";
  var clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  var day = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  var full = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    second: "2-digit", fractionalSecondDigits: 3, hour12: false, timeZoneName: "short",
  });

  function lookup(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value == null ? undefined : value[key];
    }, data);
  }
  function show(value) {
    if (value == null || value === "") return "—";
    if (Array.isArray(value)) return value.join(", ") || "none";
    if (typeof value === "object") {
      return Object.keys(value).map(function (k) { return k + ": " + value[k]; }).join(" ");
    }
    return String(value);
  }
  // A time as the page first showed it (webapp.web.templating.when): "12:50:50 (8 s ago)" in the
  // site's TIMEZONE, the date first when not today, the full value in the title.
  function relative(date) {
    var seconds = Math.round((date.getTime() - Date.now()) / 1000), amount = Math.abs(seconds), unit = "s";
    [[86400, "d"], [3600, "h"], [60, "min"]].some(function (step) {
      if (amount < step[0]) return false;
      amount = Math.floor(amount / step[0]);
      unit = step[1];
      return true;
    });
    return seconds > 0 ? "in " + amount + " " + unit : amount + " " + unit + " ago";
  }
  function showTime(element, iso) {
    element.replaceChildren();
    if (!iso) { element.textContent = "—"; return; }
    var date = new Date(iso), time = document.createElement("time");
    var today = day.format(date) === day.format(new Date());
    time.dateTime = iso;
    time.title = full.format(date);
    time.textContent = (today ? "" : day.format(date) + " ") + clock.format(date) + " (" + relative(date) + ")";
    element.appendChild(time);
  }
  function cell(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }
  function update(data) {
    root.querySelectorAll("[data-live]").forEach(function (el) {
      var value = lookup(data, el.dataset.live);
      if ("liveTime" in el.dataset) showTime(el, value);
      else el.textContent = show(value);
    });
    root.querySelectorAll("[data-live-error]").forEach(function (el) {
      var section = data[el.dataset.liveError] || {};
      el.hidden = !section.error;
      el.textContent = section.error || "";
    });
    root.querySelectorAll("[data-live-list]").forEach(function (list) {
      var items = lookup(data, list.dataset.liveList);
      if (!items) return;
      list.replaceChildren.apply(list, items.length ? items.map(function (item) {
        return cell("li", item.name + " — " + item.score);
      }) : [cell("li", "Nothing yet.")]);
    });
    root.querySelectorAll("[data-live-rows]").forEach(function (body) {
      var rows = data[body.dataset.liveRows] || [];
      var columns = body.dataset.columns.split(" ");
      var times = (body.dataset.timeColumns || "").split(" ");
      var trs = rows.map(function (row) {
        var tr = document.createElement("tr");
        columns.forEach(function (c) {
          var td = cell("td", show(row[c]));
          if (times.indexOf(c) >= 0) showTime(td, row[c]);
          tr.appendChild(td);
        });
        return tr;
      });
      if (!trs.length) {
        var empty = cell("td", body.dataset.empty || "Nothing yet.");
        empty.colSpan = columns.length;
        empty.className = "muted";
        trs = [document.createElement("tr")];
        trs[0].appendChild(empty);
      }
      body.replaceChildren.apply(body, trs);
    });
  }
  function refresh() {
    fetch(source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        update(data);
        status.textContent = "Updated " + new Date().toLocaleTimeString();
      })
      .catch(function (error) { status.textContent = "Could not refresh (" + error.message + ")."; })
      .finally(function () { window.setTimeout(refresh, interval); });
  }
  window.setTimeout(refresh, interval);
})();
