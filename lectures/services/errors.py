"""Domain refusals: a machine-readable code and a translated message for people."""


class ServiceError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
