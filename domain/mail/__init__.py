"""Outgoing email: the ``Mailer`` port, the notification record and the ``mail.send`` job that delivers it."""
