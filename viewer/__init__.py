"""The read-only web viewer: SPARQL endpoint, entity pages, place explorer, network.

The Flask app is ``viewer.app.create_app``; the package itself imports nothing, so that the build can
render the offline network page with the viewer's templates without loading Flask.
"""
