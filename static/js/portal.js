// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var box = function () { return document.getElementById("request-error"); };
  // htmx 2 does not swap 4xx/5xx answers: say so instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var el = box();
    if (!el) { return; }
    var status = event.detail.xhr.status;
    el.textContent = status === 429 ? "操作过于频繁，请稍后再试。"
      : status >= 500 ? "系统出错了，请稍后再试，或刷新页面。"
      : "请求没有成功（" + status + "），请刷新页面后重试。";
    el.hidden = false;
  });
  document.addEventListener("htmx:sendError", function () {
    var el = box();
    if (el) { el.textContent = "网络连接中断，请检查网络后重试。"; el.hidden = false; }
  });
  // ---- Results swapped in place (catalog, search; issue 12) ----
  // A pager or facet link, or the 筛选/检索 button, asked for new results: the link is gone with the old
  // results, so focus goes to the results heading (tabindex=-1) and the view scrolls to it; the heading's
  // name is what a screen reader announces. A change typed or chosen in the form keeps focus there (a
  // menu being arrowed through must keep it) and #results-status says what the change found instead.
  // One of the two speaks, never both.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "results" || event.target !== target) { return; }
    var heading = document.getElementById("results-heading");
    var status = document.getElementById("results-status");
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    var form = config.elt;  // the element that asked (detail.elt is the swapped one by now)
    // submit, or "search" (Enter in a search box): an explicit ask, answered like a page load.
    var asked = trigger && (trigger.type === "submit" || trigger.type === "search");
    var stayInForm = trigger && !asked && form && form.tagName === "FORM" &&
      !target.contains(form) && document.body.contains(form);
    if (stayInForm) {
      if (status) { status.textContent = heading ? "已更新：" + heading.textContent.trim() : ""; }
      return;
    }
    if (status) { status.textContent = ""; }
    if (heading) {
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  });
  // ---- end of results swapped in place ----
  // After a form comes back with errors (a refused staff action too), take keyboard and screen-reader users to
  // its summary, where the page lands without JavaScript. Only a summary the swap brought: another swap on
  // the page (the applicant's data, the queue's filters) leaves focus where the user is.
  var SUMMARY = "[data-error-summary], #error-summary";
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    var summary = root.matches && root.matches(SUMMARY) ? root
      : root.querySelector && root.querySelector(SUMMARY);
    if (!summary) { return; }
    summary.focus({ preventScroll: true });
    // A boosted swap scrolls to the top of the page once it has settled: bring the summary into view after it.
    window.setTimeout(function () { summary.scrollIntoView({ block: "start" }); }, 0);
  });
  // Print buttons (data-print): wired here, not with onclick, which the Content-Security-Policy refuses.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
  // Print buttons start hidden (without JavaScript the page shows a Ctrl+P hint instead): reveal them
  // on load and in every part htmx swaps in.
  var showPrint = function (root) {
    if (!root || !root.querySelectorAll) { return; }
    Array.prototype.forEach.call(root.querySelectorAll("button[data-print][hidden]"), function (button) {
      button.hidden = false;
    });
  };
  showPrint(document);
  document.addEventListener("htmx:load", function (event) { showPrint(event.target); });
  document.addEventListener("htmx:beforeRequest", function () {
    var el = box();
    if (el) { el.hidden = true; }
  });
})();
