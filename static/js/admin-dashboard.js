// The admin dashboard: refetches its figures from a small JSON endpoint every few seconds
// and updates the page in place (no full reload). Without JavaScript the page is still whole.
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard]");
  if (!root) return;
  var source = root.dataset.source;
  var interval = parseInt(root.dataset.interval, 10) || 5000;
  var status = root.querySelector("[data-live-status]");

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
  function cell(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }
  function update(data) {
    root.querySelectorAll("[data-live]").forEach(function (el) {
      el.textContent = show(lookup(data, el.dataset.live));
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
      var trs = rows.map(function (row) {
        var tr = document.createElement("tr");
        columns.forEach(function (c) { tr.appendChild(cell("td", show(row[c]))); });
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
