"""The WeChat Official Account and WeCom (企业微信) channels of the assistant.

`config` (credentials from the environment) is imported by the command-line program; the
other modules run inside the Rasa server only (`channel` is what credentials.yml names).
"""
