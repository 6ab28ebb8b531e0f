// Starts Swagger UI on the API's own OpenAPI document (no inline script, no CDN).
window.ui = SwaggerUIBundle({
  url: document.currentScript.dataset.spec,
  dom_id: "#swagger-ui",
  deepLinking: true,
});
