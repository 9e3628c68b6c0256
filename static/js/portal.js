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
  // After a form comes back with errors (a refused staff action too), take keyboard and screen-reader users to
  // its summary, where the page lands without JavaScript. Only a summary the swap brought: another swap on
  // the page (the applicant's data, the queue's filters) leaves focus where the user is.
  var SUMMARY = "[data-error-summary], #error-summary";
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    var summary = root.matches && root.matches(SUMMARY) ? root
      : root.querySelector && root.querySelector(SUMMARY);
    if (summary) { summary.focus(); }
  });
  // Print buttons (data-print): wired here, not with onclick, which the Content-Security-Policy refuses.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var el = box();
    if (el) { el.hidden = true; }
  });
})();
