// govuk-frontend's components (header menu, details, buttons, error summary focus); pages work without it.
document.body.classList.add('js-enabled', 'govuk-frontend-supported');
import('/govuk/govuk-frontend.min.js').then((m) => m.initAll()).catch(() => {});
