"""The lab's server: a LabServerApp (Debian's jupyterlab-server on jupyter-server) that serves the
JupyterLab front end built in build/ by `npm run build` here (`npm run lab:build` at the top).

Run by `npm run lab`; by hand: `python3 frontend/lab/minitorch_lab.py --ServerApp.root_dir=notebooks`.
"""
import json
import os
import sys

import jupyter_server
from jupyter_core.paths import jupyter_config_dir
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyterlab_server import LabServerApp
from tornado import web, websocket

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")

# the JupyterLab version the build has (Help > About shows it)
with open(os.path.join(HERE, "node_modules", "@jupyterlab", "application", "package.json"), encoding="utf-8") as f:
    VERSION = json.load(f)["version"]


class IdentityHandler(APIHandler):
    """GET /api/me, jupyter-server 2's identity API, which JupyterLab 4 asks for (user name in the UI):
    on jupyter-server 1.x the user is whoever the login handler says, and holds no extra permissions."""

    @web.authenticated
    def get(self):
        name = str(self.current_user)
        identity = {"username": name, "name": name, "display_name": name, "initials": name[:1].upper(),
                    "avatar_url": None, "color": None}
        self.finish(json.dumps({"identity": identity, "permissions": {}}))


class EventsHandler(websocket.WebSocketHandler, JupyterHandler):
    """/api/events/subscribe, jupyter-server 2's event stream, which JupyterLab 4 keeps reconnecting to:
    jupyter-server 1.x emits no events, so the socket stays open and silent."""

    def set_default_headers(self):
        pass  # JupyterHandler's headers are for pages, not websockets

    async def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": MiniTorchLab}]


class MiniTorchLab(LabServerApp):
    """JupyterLab 4.6 on jupyter-server 1.x, at /lab like a pip-installed JupyterLab."""

    name = "minitorch_lab"
    app_name = "JupyterLab"
    description = "JupyterLab 4 for the minitorch-ts notebooks, built from npm packages (frontend/lab)."
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    file_url_prefix = "/lab/tree"
    load_other_extensions = False
    app_version = VERSION

    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    # settings a user changes, and saved workspaces, go where a pip-installed JupyterLab keeps them
    user_settings_dir = os.path.join(jupyter_config_dir(), "lab", "user-settings")
    workspaces_dir = os.path.join(jupyter_config_dir(), "lab", "workspaces")

    def initialize_handlers(self):
        super().initialize_handlers()
        if jupyter_server.version_info[0] < 2:
            self.handlers += [(r"/api/me", IdentityHandler), (r"/api/events/subscribe", EventsHandler)]


if __name__ == "__main__":
    if not os.path.exists(os.path.join(BUILD, "bundle.js")):
        sys.exit(f"The lab front end is not built ({BUILD}/bundle.js is missing): run `npm run lab:build`")
    MiniTorchLab.launch_instance()
