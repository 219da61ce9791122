/* ptce_gloss: keep definition bubbles inside the viewport, and let Escape dismiss them (WCAG 1.4.13). */
(function () {
  "use strict";
  var MARGIN = 8;
  function place(term) {
    term.classList.remove("gloss-dismissed");
    term.style.removeProperty("--gloss-shift");
    var bubble = getComputedStyle(term, "::after");
    var width = parseFloat(bubble.width);
    if (!(width > 0)) { return; }
    var box = term.getClientRects()[0] || term.getBoundingClientRect();
    var room = document.documentElement.clientWidth || window.innerWidth;
    var shift = 0;
    if (box.left + width > room - MARGIN) { shift = room - MARGIN - width - box.left; }
    if (box.left + shift < MARGIN) { shift = MARGIN - box.left; }
    term.style.setProperty("--gloss-shift", Math.round(shift) + "px");
  }
  function termOf(event) {
    var node = event.target;
    return node && node.closest ? node.closest(".gloss-term") : null;
  }
  function later(term) { if (term) { place(term); requestAnimationFrame(function () { place(term); }); } }
  document.addEventListener("pointerover", function (event) { later(termOf(event)); });
  document.addEventListener("focusin", function (event) { later(termOf(event)); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var terms = document.querySelectorAll(".gloss-term:hover, .gloss-term:focus");
    for (var i = 0; i < terms.length; i++) { terms[i].classList.add("gloss-dismissed"); }
  });
})();
