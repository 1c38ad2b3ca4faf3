// Starts Swagger UI on /api/docs. A file of its own, not an inline script: the page's CSP
// allows scripts from our origin only.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Swagger UI would otherwise send the document to validator.swagger.io for its badge.
  validatorUrl: null,
});
