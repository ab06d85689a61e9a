"""What mock_okta and mock_cognito share without importing each other: the clock, keys, safe XML.

Both mocks depend on this package; it depends on neither (see DESIGN.md, "The parts").
"""
