"""The app as gunicorn serves it for bench/serving.py, with bench/caseload.py's two floors added:
`gunicorn -c gunicorn.conf.py 'bench.serving_app:app'`."""

from bench.caseload_pages import add_floors
from casework import create_app

app = create_app()
add_floors(app)
