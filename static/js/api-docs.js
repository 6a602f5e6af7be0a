// Starts Swagger UI on the API documentation page (templates/api_docs.html). A file of its own
// because the content security policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The public validator badge would load an image from validator.swagger.io, which the CSP
    // (img-src 'self') refuses.
    validatorUrl: null,
  });
});
