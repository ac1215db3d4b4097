"""``publiceval serve``: a local web app that takes a volunteer from an export to a report.

* :mod:`.command`: the ``serve`` command (click only, so ``publiceval --help`` stays fast);
* :mod:`.server`: a free port on 127.0.0.1, the browser, uvicorn;
* :mod:`.app`: the Starlette app, its routes, error pages and security headers;
* :mod:`.pages`: what every page shares: settings, language, CSRF token, templates;
* :mod:`.steps`: one handler per step (start, review, validate, evaluate, report, downloads);
* :mod:`.upload`, :mod:`.edit`, :mod:`.files`: receiving an export, applying the review's
  corrections to ``study.toml``, and the downloads;
* :mod:`.workspace`: the folder served, one sub-folder per study, nothing written outside it;
* :mod:`.texts`: every word shown, in Indonesian and English.

Needs the ``web`` extra (``pip install 'publiceval[web]'``); nothing here is imported until the
command runs.
"""
