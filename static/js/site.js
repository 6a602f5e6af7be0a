// pcc — our own script: small, loaded with defer, no inline code (the CSP allows only 'self').
// 1. <time datetime="...Z" data-local> shows the circuit's time; we add the reader's own beside it.
// 2. An element with data-countdown="ISO instant" counts down to the next session.
// Both run on load and again on content htmx swaps in.
(function () {
  "use strict";

  var readerZone;
  try {
    readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    readerZone = undefined;
  }

  var dayAndTime = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false };

  function format(date, zone, withZoneName) {
    var options = Object.assign({}, dayAndTime);
    if (zone) options.timeZone = zone;
    if (withZoneName) options.timeZoneName = "short";
    try {
      return new Intl.DateTimeFormat(undefined, options).format(date);
    } catch (error) {
      // An unknown zone name: fall back to the reader's zone.
      delete options.timeZone;
      return new Intl.DateTimeFormat(undefined, options).format(date);
    }
  }

  function addLocalTimes(root) {
    var times = (root || document).querySelectorAll("time[data-local]:not([data-local-done])");
    Array.prototype.forEach.call(times, function (node) {
      node.setAttribute("data-local-done", "");
      var value = node.getAttribute("datetime");
      if (!value || value.length <= 10) return; // a bare date has no zone to convert
      var date = new Date(value);
      if (isNaN(date.getTime())) return;
      var circuitZone = node.getAttribute("data-tz");
      // Same wall-clock time where the reader is: nothing to add.
      if (circuitZone && format(date, circuitZone, false) === format(date, readerZone, false)) return;
      var local = document.createElement("span");
      local.className = "local-time";
      local.textContent = " (your time: " + format(date, readerZone, true) + ")";
      node.insertAdjacentElement("afterend", local);
    });
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function describe(milliseconds) {
    var minutes = Math.floor(milliseconds / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (days > 0) return plural(days, "day") + " " + plural(hours, "hour");
    if (hours > 0) return plural(hours, "hour") + " " + plural(rest, "minute");
    return plural(Math.max(rest, 1), "minute");
  }

  var countdowns = [];

  function tick() {
    var now = Date.now();
    countdowns.forEach(function (item) {
      var left = item.target - now;
      item.value.textContent = left > 0 ? describe(left) : "Under way";
    });
  }

  function startCountdowns(root) {
    var nodes = (root || document).querySelectorAll("[data-countdown]:not([data-countdown-done])");
    Array.prototype.forEach.call(nodes, function (node) {
      node.setAttribute("data-countdown-done", "");
      var target = new Date(node.getAttribute("data-countdown")).getTime();
      var value = node.querySelector(".countdown-value");
      if (isNaN(target) || !value) return;
      countdowns.push({ target: target, value: value });
    });
    tick();
  }

  function enhance(root) {
    addLocalTimes(root);
    startCountdowns(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  // htmx:load fires for each piece of content htmx puts in the page (swaps, history restores).
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
  // A filter form's empty choices ("All classes", "The latest round") mean "no filter": leave them
  // out of the address htmx requests and pushes, so it reads ?class=am rather than ?class=am&after=.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail.useUrlParams || !detail.formData || !detail.elt.matches("form.filters")) return;
    var empty = [];
    detail.formData.forEach(function (value, key) {
      if (value === "") empty.push(key);
    });
    empty.forEach(function (key) { detail.formData.delete(key); });
  });
  // Minutes are the finest unit shown, so twice a minute keeps the figure right.
  setInterval(tick, 30000);
})();
