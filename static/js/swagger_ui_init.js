/* Starts Swagger UI on the API docs page, as drf-spectacular's inline script does, from a
   file so that the content security policy needs no inline script. Settings come from the
   data attributes of #swagger-ui (templates/drf_spectacular/swagger_ui.html). */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const data = root.dataset;
  const swaggerSettings = JSON.parse(data.settings || "{}");
  const schemaAuthNames = JSON.parse(data.authNames || "[]");
  const plugins = [];
  let ui;
  let schemaAuthFailed = false;

  const reloadSchemaOnAuthChange = () => {
    const reload = (ori) => (...args) => {
      schemaAuthFailed = false;
      setTimeout(() => ui.specActions.download());
      return ori(...args);
    };
    return {
      statePlugins: {
        auth: { wrapActions: { authorize: reload, logout: reload } },
      },
    };
  };
  if (schemaAuthNames.length > 0) {
    plugins.push(reloadSchemaOnAuthChange);
  }

  const isSchemaUrl = (url) =>
    ui !== undefined && url === new URL(ui.getConfigs().url, document.baseURI).href;

  const responseInterceptor = (response) => {
    if (!response.ok && isSchemaUrl(response.url) && !schemaAuthFailed) {
      // Retry once without credentials, never in a loop.
      schemaAuthFailed = true;
      setTimeout(() => ui.specActions.download());
    }
    return response;
  };

  const injectAuthCredentials = (request) => {
    if (ui === undefined) {
      return;
    }
    const state = ui.getState().get("auth").get("authorized");
    if (state === undefined) {
      return;
    }
    const authorized = state.toJS();
    for (const authName of schemaAuthNames) {
      const authDef = authorized[authName];
      if (authDef && authDef.schema && authDef.schema.type === "apiKey" && authDef.schema.in === "header") {
        request.headers[authDef.schema.name] = authDef.value;
        return;
      }
    }
  };

  const requestInterceptor = (request) => {
    if (request.loadSpec && schemaAuthNames.length > 0 && !schemaAuthFailed) {
      injectAuthCredentials(request);
    }
    // Writes made with the browser session carry the CSRF token.
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers[data.csrfHeader] = data.csrfToken;
    }
    return request;
  };

  ui = SwaggerUIBundle({
    url: data.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    plugins,
    layout: "BaseLayout",
    requestInterceptor,
    responseInterceptor,
    ...swaggerSettings,
  });
})();
