// TLS and mutual TLS: a server with certificates from tests/testdata/tls,
// clients with and without a client certificate.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gavel/v1/admin_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "tests/services/test_server.h"
#include "tests/testing/temp_dir.h"
#include "transparency/rfc9162.h"

namespace gavel::services {
namespace {

std::string Testdata(const std::string& name) {
  return std::string(GAVEL_TESTDATA_DIR) + "/tls/" + name;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class TlsTest : public ::testing::Test {
 protected:
  // `cert_entry`: the tokens file's line for the client certificate.
  void StartServer(bool mutual, const std::string& cert_entry =
                                    "cert board-app board-app "
                                    "admin") {
    const std::string tokens = dir_.Sub("tokens");
    std::ofstream(tokens) << rfc9162::ToHex(rfc9162::Sha256({"token-alice"}))
                          << " alice admin\n"
                          << cert_entry << "\n";
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.tokens_file = tokens;
    options.tls_cert_file = Testdata("server.pem");
    options.tls_key_file = Testdata("server.key");
    if (mutual) options.client_ca_file = Testdata("ca.pem");
    absl::StatusOr<std::unique_ptr<GavelServer>> server =
        GavelServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // With the client certificate `client` ("client" or "rogue-client"; none
  // when empty).
  std::unique_ptr<gavel::v1::AdminService::Stub> Stub(
      bool with_client_cert, const std::string& client = "client") {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Read(Testdata("ca.pem"));
    if (with_client_cert) {
      ssl.pem_private_key = Read(Testdata(client + ".key"));
      ssl.pem_cert_chain = Read(Testdata(client + ".pem"));
    }
    return gavel::v1::AdminService::NewStub(
        grpc::CreateChannel(absl::StrCat("localhost:", server_->port()),
                            grpc::SslCredentials(ssl)));
  }

  grpc::Status Status(gavel::v1::AdminService::Stub& stub,
                      gavel::v1::GetStatusReply& reply,
                      const std::string& token = "") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!token.empty()) {
      context.AddMetadata("authorization", "Bearer " + token);
    }
    return stub.GetStatus(&context, {}, &reply);
  }

  test::TempDir dir_;
  std::unique_ptr<GavelServer> server_;
};

TEST_F(TlsTest, ClientCertificateAuthenticatesItsPrincipal) {
  StartServer(/*mutual=*/true);
  std::unique_ptr<gavel::v1::AdminService::Stub> stub = Stub(true);
  gavel::v1::GetStatusReply reply;
  grpc::Status status = Status(*stub, reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.principal(), "board-app");
}

TEST_F(TlsTest, CertificateFromTheRightCaWithAnUnknownNameIsUnauthenticated) {
  // The chain verifies (so the handshake succeeds), but no entry of the
  // tokens file names its common name.
  StartServer(/*mutual=*/true, "cert other-app other-app admin");
  std::unique_ptr<gavel::v1::AdminService::Stub> stub = Stub(true);
  gavel::v1::GetStatusReply reply;
  grpc::Status status = Status(*stub, reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(test::ReasonOf(status), "UNKNOWN_CERTIFICATE");
  EXPECT_TRUE(reply.principal().empty());
}

TEST_F(TlsTest, CertificateWhoseEntryExpiredIsUnauthenticated) {
  StartServer(/*mutual=*/true,
              "cert board-app board-app admin expires=2020-01-01T00:00:00Z");
  std::unique_ptr<gavel::v1::AdminService::Stub> stub = Stub(true);
  gavel::v1::GetStatusReply reply;
  grpc::Status status = Status(*stub, reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(test::ReasonOf(status), "CREDENTIAL_EXPIRED");
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutCertificate) {
  StartServer(/*mutual=*/true);
  std::unique_ptr<gavel::v1::AdminService::Stub> stub = Stub(false);
  gavel::v1::GetStatusReply reply;
  EXPECT_EQ(Status(*stub, reply, "token-alice").error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRefusesACertificateFromAnotherCa) {
  // Same subject and issuer names as the real client certificate, signed
  // by another key: the handshake fails, whatever token comes with it.
  StartServer(/*mutual=*/true);
  std::unique_ptr<gavel::v1::AdminService::Stub> stub =
      Stub(true, "rogue-client");
  gavel::v1::GetStatusReply reply;
  EXPECT_EQ(Status(*stub, reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Status(*stub, reply, "token-alice").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(reply.principal().empty());
}

TEST_F(TlsTest, TlsWithBearerTokenWorksAndPlaintextIsRefused) {
  StartServer(/*mutual=*/false);
  std::unique_ptr<gavel::v1::AdminService::Stub> stub = Stub(false);
  gavel::v1::GetStatusReply reply;
  grpc::Status status = Status(*stub, reply, "token-alice");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.principal(), "alice");
  EXPECT_EQ(Status(*stub, reply).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto plaintext = gavel::v1::AdminService::NewStub(
      grpc::CreateChannel(absl::StrCat("localhost:", server_->port()),
                          grpc::InsecureChannelCredentials()));
  EXPECT_EQ(Status(*plaintext, reply, "token-alice").error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(IsLoopbackTest, OnlyLoopbackAddressesAndLocalhostCount) {
  EXPECT_TRUE(IsLoopback("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopback("127.1.2.3:1"));
  EXPECT_TRUE(IsLoopback("[::1]:50051"));
  EXPECT_TRUE(IsLoopback("localhost:50051"));
  EXPECT_FALSE(IsLoopback("127.evil.example:50051"));
  EXPECT_FALSE(IsLoopback("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopback("[::]:50051"));
  EXPECT_FALSE(IsLoopback("10.0.0.1:50051"));
}

}  // namespace
}  // namespace gavel::services
