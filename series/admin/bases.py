"""Django's admin and model-form base classes, with the type arguments django-stubs give them.

The stubs make ModelAdmin, the inlines, ModelForm and BaseInlineFormSet generic in their models
(`ModelAdmin[Session]`, `TabularInline[Result, Session]`), but Django's own classes take no type
argument at run time, and django_stubs_ext.monkeypatch(), which would add one to them, is a
development dependency here. So the type checker sees Django's classes themselves, and at run time
these names are subclasses that only add Generic: `class SessionAdmin(ModelAdmin[Session])` works
in both, and the admin pages see ordinary Django classes.
"""

from typing import TYPE_CHECKING, Generic, TypeVar

from django import forms
from django.contrib import admin

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin, StackedInline, TabularInline
    from django.forms import BaseInlineFormSet, ModelForm
else:
    _Model = TypeVar("_Model")
    _Parent = TypeVar("_Parent")
    _Form = TypeVar("_Form")

    class ModelAdmin(admin.ModelAdmin, Generic[_Model]):
        pass

    class StackedInline(admin.StackedInline, Generic[_Model, _Parent]):
        pass

    class TabularInline(admin.TabularInline, Generic[_Model, _Parent]):
        pass

    class ModelForm(forms.ModelForm, Generic[_Model]):
        pass

    class BaseInlineFormSet(forms.BaseInlineFormSet, Generic[_Model, _Parent, _Form]):
        pass


__all__ = ["BaseInlineFormSet", "ModelAdmin", "ModelForm", "StackedInline", "TabularInline"]
