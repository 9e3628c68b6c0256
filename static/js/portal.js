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
  // After a form comes back with errors, take keyboard and screen-reader users to the summary.
  document.addEventListener("htmx:afterSettle", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
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
