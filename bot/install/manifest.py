"""The Slack app manifest: everything the app needs, and only what it uses.

Scopes, one line each for why:

* ``commands``: the ``/mentor`` slash command;
* ``chat:write``: introductions, check-ins, DMs and the admin digest;
* ``im:write``, ``mpim:write``: open the DM or group DM for a pair;
* ``im:history``, ``mpim:history``: after a crash, find a message already sent (outbox);
* ``channels:history``, ``groups:history``: the same check for the admin channel (public or private);
* ``channels:join``: join the public admin channel an admin picks in the settings;
* ``groups:read``: see whether the bot is in the private admin channel an admin picks;
* ``users:read``: names, time zones, and whether someone is a workspace admin;
* ``files:write``: upload the report chart and the CSV export.
"""

from __future__ import annotations

from typing import Any

PLACEHOLDER = "https://YOUR-APP.example.com"
SCOPES = [
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "im:history",
    "mpim:history",
    "channels:history",
    "groups:history",
    "channels:join",
    "groups:read",
    "users:read",
    "users:read.email",  # the dashboard's import: invite people by their email address
    "files:write",
]


def manifest(url: str = PLACEHOLDER) -> dict[str, Any]:
    base = url.rstrip("/")
    events = f"{base}/slack/events"
    return {
        "display_information": {
            "name": "mentorbot",
            "description": "Pairs mentors and mentees every week, and says why.",
            "background_color": "#2f4858",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "mentorbot", "always_online": True},
            "slash_commands": [
                {
                    "command": "/mentor",
                    "url": events,
                    "description": "Your mentoring profile, pairings and more",
                    "usage_hint": "help | profile | status | pause [weeks] | resume | find <skill>",
                    "should_escape": True,
                }
            ],
        },
        # Installs (multi-workspace) come back to the first; admins signing in to the dashboard
        # (Sign in with Slack, scopes openid and profile) to the second.
        "oauth_config": {
            "redirect_urls": [f"{base}/slack/oauth_redirect", f"{base}/admin/auth/callback"],
            "scopes": {"bot": SCOPES},
        },
        "settings": {
            "event_subscriptions": {"request_url": events, "bot_events": ["app_home_opened"]},
            # The options load URL serves the profile's skill search (catalogs over 100 skills).
            "interactivity": {"is_enabled": True, "request_url": events, "message_menu_options_url": events},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(url: str = PLACEHOLDER) -> str:
    header = (
        "# Slack app manifest for mentorbot. Create the app at api.slack.com/apps > Create New App >\n"
        "# From a manifest, and paste this. `mentorbot manifest --url https://your.host` fills in the URLs.\n"
    )
    import yaml  # only here: every CLI command imports this module for its default URL

    return header + yaml.safe_dump(manifest(url), sort_keys=False, allow_unicode=True, width=1000)
