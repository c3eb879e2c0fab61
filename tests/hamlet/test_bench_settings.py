"""The benchmark's settings add one page, the signed-in "hello" every page is measured against."""


def test_the_hello_page_exists_only_under_the_benchmark_settings(client, manager, settings):
    client.force_login(manager)
    assert client.get("/bench/hello/").status_code == 404
    settings.ROOT_URLCONF = "hamlet.urls_bench"
    assert client.get("/bench/hello/").content == b"Hello, manager.dhi"
    client.logout()
    assert client.get("/bench/hello/").status_code == 302
