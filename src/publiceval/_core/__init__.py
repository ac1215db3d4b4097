"""publiceval's implementation. Private: import from :mod:`publiceval` (users) or
:mod:`publiceval.plugin` (plugin authors); module paths in here may change without notice."""
