# Times on the 24-hour clock everywhere, the admin included (Django's en_GB uses
# "P", e.g. "1:30 p.m."). Dates as the desk writes them: 1 Dec 2026.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
