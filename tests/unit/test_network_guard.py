import socket

import pytest

from tests.conftest import NetworkTouched


def test_reaching_a_remote_host_fails_the_test():
    with pytest.raises(NetworkTouched):
        socket.create_connection(("example.com", 80), timeout=1)


def test_connecting_to_a_public_address_fails_the_test():
    s = socket.socket()
    try:
        with pytest.raises(NetworkTouched):
            s.connect(("93.184.216.34", 80))
    finally:
        s.close()


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port), timeout=1)
    client.close()
    server.close()
