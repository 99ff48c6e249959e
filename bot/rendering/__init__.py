"""Rendering: plain functions from domain data to Slack messages, modals and App Home
(Block Kit), and the admin chart (a PNG).

Nothing here talks to Slack or the database; listeners, jobs and ``bot.notify`` call it.
"""
