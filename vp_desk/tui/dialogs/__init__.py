"""Modal dialogs: questions and small tasks that sit on top of a screen.

Forms built on ``screens.form_base.RecordForm`` and the help screen stay in
``screens/``; so does a dialog that belongs to one screen's module (e.g. the
legal hold in ``screens/retention.py``).
"""
