"""One notification service for the whole site (站内消息, SMS, email).

Apps declare their kinds of notice (`register_kind`) and call
`notify(recipients, kind, context)` inside their own transaction: the
in-app messages and a delivery per channel are rows written with the
caller's change, and the SMS and mail go out from the background worker
after the commit. The shell knows no app: kinds, mobiles and who may see
whose deliveries come in through `registry`.
"""
