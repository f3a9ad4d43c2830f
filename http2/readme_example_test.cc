// The example of README.md's "The HTTP/2 core" section, compiled and run
// (//http2:readme_example_sync_test checks that README.md shows exactly this code).
#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "http2/session.h"

namespace http2 {
namespace {

TEST(ReadmeExampleTest, ClientAndServerInMemory) {
  // README-BEGIN
  struct Server : Visitor {
    Session* session = nullptr;
    StringSource body{"hello"};
    void OnHeaders(const ReceivedHeaders& h) override {
      if (h.kind != HeadersKind::kRequest || !h.end_stream) return;
      const Header response[] = {{":status", "200"}, {"content-type", "text/plain"}};
      // The body is pulled as the flow-control windows allow.
      session->SubmitResponse(h.stream_id, response, &body).IgnoreError();
    }
    void OnData(uint32_t stream_id, absl::string_view data) override {}
  };
  struct Client : Visitor {
    std::string body;
    void OnHeaders(const ReceivedHeaders& h) override { std::printf("%d\n", h.status); }
    void OnData(uint32_t stream_id, absl::string_view data) override {
      body.append(data.data(), data.size());
    }
  };
  Server server_visitor;
  Client client_visitor;
  Session server(Perspective::kServer, &server_visitor);
  Session client(Perspective::kClient, &client_visitor);
  server_visitor.session = &server;

  const Header request[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "example.org"}, {":path", "/"}};
  absl::StatusOr<uint32_t> stream_id = client.SubmitRequest(request);  // 1

  std::string wire;  // what an I/O layer would write to and read from the socket
  while (client.WantWrite() || server.WantWrite()) {
    wire.clear();
    client.Send(&wire);
    server.Receive(wire);  // returns the octets consumed
    wire.clear();
    server.Send(&wire);
    client.Receive(wire);
  }
  // client_visitor.body == "hello"
  // README-END
  ASSERT_TRUE(stream_id.ok());
  EXPECT_EQ(*stream_id, 1u);
  EXPECT_EQ(client_visitor.body, "hello");
}

}  // namespace
}  // namespace http2
