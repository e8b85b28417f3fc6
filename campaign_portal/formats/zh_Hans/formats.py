# Django's zh_Hans input formats spell the Chinese form as "%Y年%n月%j日", but in
# strptime %n is whitespace and %j the day of the year, so "2019年8月10日" never
# parses. %m and %d accept one or two digits. The ISO form comes first because
# widgets render with the first format.
# Django's "m月j日" pads the month (08月1日); official documents write 8月1日.
MONTH_DAY_FORMAT = "n月j日"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2019-08-10
    "%Y年%m月%d日",  # 2019年8月10日
    "%Y/%m/%d",  # 2019/08/10
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y年%m月%d日",
    "%Y/%m/%d",
]
