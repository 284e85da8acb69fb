"""The plugin spec core: models, validation, rendering and parsing of Dify model-provider plugins.

Nothing in this package imports Django: the web app, the build worker, the command line and the
tests all call the same functions here.
"""
