// The homepage carousel: rotates by itself, previous/next and dot controls, arrow keys.
// Without JavaScript the first slide simply stays visible.
(function () {
  "use strict";
  document.querySelectorAll("[data-carousel]").forEach(function (root) {
    var slides = root.querySelectorAll(".slide");
    var dots = root.querySelectorAll("[data-carousel-to]");
    if (slides.length < 2) return;
    var current = 0;
    var interval = parseInt(root.dataset.interval, 10) || 5000;
    var timer = null;

    function show(index) {
      current = (index + slides.length) % slides.length;
      slides.forEach(function (slide, i) {
        var active = i === current;
        slide.classList.toggle("is-active", active);
        slide.setAttribute("aria-hidden", active ? "false" : "true");
        var link = slide.querySelector("a");
        if (link) link.tabIndex = active ? 0 : -1;
      });
      dots.forEach(function (dot, i) { dot.classList.toggle("is-active", i === current); });
    }
    function start() { stop(); timer = window.setInterval(function () { show(current + 1); }, interval); }
    function stop() { if (timer) window.clearInterval(timer); timer = null; }

    root.querySelector("[data-carousel-prev]").addEventListener("click", function () { show(current - 1); start(); });
    root.querySelector("[data-carousel-next]").addEventListener("click", function () { show(current + 1); start(); });
    dots.forEach(function (dot) {
      dot.addEventListener("click", function () { show(parseInt(dot.dataset.carouselTo, 10)); start(); });
    });
    root.tabIndex = 0;
    root.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(current - 1); start(); }
      if (event.key === "ArrowRight") { show(current + 1); start(); }
    });
    root.addEventListener("mouseenter", stop);
    root.addEventListener("mouseleave", start);
    root.addEventListener("focusin", stop);
    root.addEventListener("focusout", start);
    start();
  });
})();
