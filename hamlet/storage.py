from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise compressed + hashed static files, with ES module imports.

    ``support_js_module_import_aggregation`` makes collectstatic also rewrite
    relative ``import ... from "./x.js";`` / ``export ... from`` specifiers in
    *.js files to their hashed names, so ``static/js/hamlet.js`` keeps loading
    the hashed GOV.UK / MoJ Frontend bundles.
    """

    support_js_module_import_aggregation = True
