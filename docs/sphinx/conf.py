# Sphinx configuration of the HTML docsite that scripts/docs.sh builds into build/docs/html, the way
# antsibull-docs sphinx-init sets one up. The source directory is docs/: index.rst, the
# antsibull-docs reference (reference/) and the Markdown guides (guides/, read by myst-parser).
import os

import yaml
from docutils import nodes

with open(os.path.join(os.path.dirname(__file__), '..', '..', 'galaxy.yml'), encoding='utf-8') as galaxy:
    release = version = str(yaml.safe_load(galaxy)['version'])

project = 'telnyx.account_access'
copyright = 'telnyx.account_access contributors'
title = html_short_title = 'telnyx.account_access'

extensions = ['sphinx_antsibull_ext', 'myst_parser']
exclude_patterns = ['sphinx']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'
nitpicky = True

# The few labels of Ansible's own docsite that antsibull-docs' pages refer to. Its intersphinx
# inventory cannot be fetched from these machines, so they link to docs.ansible.com directly;
# any other unknown label still fails the build.
ANSIBLE_DOCS = 'https://docs.ansible.com/ansible/latest/'
ANSIBLE_LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html', 'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html', 'Ansible Configuration Settings'),
    'action_plugins': ('plugins/action.html', 'Action plugins'),
}


def link_ansible_label(app, env, node, contnode):
    if node.get('reftype') != 'ref' or node.get('reftarget') not in ANSIBLE_LABELS:
        return None
    path, label_title = ANSIBLE_LABELS[node['reftarget']]
    text = contnode if node.get('refexplicit') else nodes.inline('', label_title)
    return nodes.reference('', '', text, internal=False, refuri=ANSIBLE_DOCS + path)


def setup(app):
    app.connect('missing-reference', link_ansible_label)
