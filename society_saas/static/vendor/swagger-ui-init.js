// Starts Swagger UI on the API docs page; a file, not an inline script, so the CSP holds.
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: node.getAttribute("data-spec-url"), dom_id: "#swagger-ui", deepLinking: true });
})();
