VirtualHost "this-label-is-much-longer-than-the-sixty-three-octets-dns-allows-x.example.org"
