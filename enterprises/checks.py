from django.core.checks import Error, register


@register()
def openpyxl_parses_xml_safely(app_configs, **kwargs):
    """Uploaded workbooks are untrusted XML: openpyxl must parse them through defusedxml."""
    from openpyxl import xml

    if xml.DEFUSEDXML:
        return []
    return [
        Error(
            "openpyxl is not using defusedxml, so an uploaded workbook could expand XML entities.",
            hint="Install defusedxml (requirements.txt) and leave OPENPYXL_DEFUSEDXML unset or True.",
            id="enterprises.E001",
        )
    ]
