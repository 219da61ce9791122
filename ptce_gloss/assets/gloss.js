/* ptce_gloss: keep definition bubbles inside the viewport, and let Escape dismiss them (WCAG 1.4.13). */
(function () {
  "use strict";
  var BUBBLE = 352; /* 22rem at 16px: the widest a bubble gets */
  function place(term) {
    var box = term.getBoundingClientRect();
    var width = Math.min(BUBBLE, window.innerWidth - 32);
    if (box.left + width > window.innerWidth - 16) { term.setAttribute("data-gloss-align", "end"); }
    else { term.removeAttribute("data-gloss-align"); }
    term.classList.remove("gloss-dismissed");
  }
  function termOf(event) {
    var node = event.target;
    return node && node.closest ? node.closest(".gloss-term") : null;
  }
  document.addEventListener("pointerover", function (event) { var t = termOf(event); if (t) { place(t); } });
  document.addEventListener("focusin", function (event) { var t = termOf(event); if (t) { place(t); } });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var terms = document.querySelectorAll(".gloss-term:hover, .gloss-term:focus");
    for (var i = 0; i < terms.length; i++) { terms[i].classList.add("gloss-dismissed"); }
  });
})();
