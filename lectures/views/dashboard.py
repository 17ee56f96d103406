"""The admin home's panel for lecturers: his sessions by what is to be done."""

from wagtail.admin.ui.components import Component

from lectures.services.lecturer_desk import lecturer_desk


class LecturerDeskPanel(Component):
    name = "lecturer_desk"
    order = 30
    template_name = "lectures/admin/panels/lecturer_desk.html"

    def get_context_data(self, parent_context):
        return {"desk": lecturer_desk(parent_context["request"].user)}
