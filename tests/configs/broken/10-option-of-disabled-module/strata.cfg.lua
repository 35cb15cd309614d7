-- LDAP settings, but authentication is still the internal store, so the
-- auth_ldap module that reads them is not enabled.
ldap_server = "ldap.example.org"

VirtualHost "example.org"
