from django import forms


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Shown in the designer; also the label.")
