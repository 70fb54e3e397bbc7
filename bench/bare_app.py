"""The floor: a bare Flask + Jinja page, served with the same gunicorn settings as the app."""
from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!DOCTYPE html><html lang='en'><head><title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>{% for i in items %}<p>{{ i }}</p>{% endfor %}</main></body></html>"


@app.route("/")
def index():
    return render_template_string(PAGE, title="Bare page", items=range(20))
