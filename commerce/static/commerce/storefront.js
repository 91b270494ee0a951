// Product gallery on the site pages: a thumbnail shows its picture large.
// A file, not an inline script: the site's Content-Security-Policy allows only 'self'.
document.addEventListener("DOMContentLoaded", function () {
  // The site only shows the page; orders are placed through the API by the shop's apps.
  document.querySelectorAll("form.customizations").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
  });
  var main = document.getElementById("gallery-main");
  var buttons = document.querySelectorAll(".gallery-thumbs button");
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      if (main) {
        main.src = button.dataset.large;
      }
      buttons.forEach(function (other) {
        other.setAttribute("aria-current", other === button ? "true" : "false");
      });
    });
  });
});
