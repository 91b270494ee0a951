// Product and package pages: the gallery thumbnails, and the customization form,
// which only shows the choices (orders go through the API). A file rather than an
// inline script, so the Content-Security-Policy needs no 'unsafe-inline'.
document.querySelectorAll(".gallery-thumbs button").forEach(function (button) {
  button.addEventListener("click", function () {
    document.getElementById("gallery-main").src = button.dataset.large;
    document.querySelectorAll(".gallery-thumbs button").forEach(function (other) {
      other.setAttribute("aria-current", other === button ? "true" : "false");
    });
  });
});
document.querySelectorAll("form.customizations").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
});
