"""Notifier adapters: where reminders are delivered."""
