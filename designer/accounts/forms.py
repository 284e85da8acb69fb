from django import forms
from django.contrib.auth.forms import UserCreationForm

from designer.accounts.models import Role


class SignUpForm(UserCreationForm):
    email = forms.EmailField(help_text="For password resets.")
    team_name = forms.CharField(
        max_length=100, help_text="Your first team; invite others to it later."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100)


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
