#include "auth/scram.h"

#include <gtest/gtest.h>

#include "auth/random.h"
#include "scram_test_client.h"

namespace borealis::auth {
namespace {

// RFC 7677 section 3.
constexpr std::string_view kRfcClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kRfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kRfcSalt = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr std::string_view kRfcServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kRfcClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kRfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier RfcVerifier() { return MakeScramVerifier("pencil", *Base64Decode(kRfcSalt), 4096); }

TEST(Base64Test, RoundTripsAndRejectsNonCanonical) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto decoded = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(Base64Decode("Zm8").has_value());
  EXPECT_FALSE(Base64Decode("Zm9=").has_value());  // stray bits in the padding
  EXPECT_FALSE(Base64Decode("Z=8=").has_value());
  EXPECT_FALSE(Base64Decode("Zm8*").has_value());
}

TEST(ScramTest, Rfc7677TestVector) {
  ScramServer server(RfcVerifier(), true, std::string(kRfcServerNonce));
  auto first = server.HandleClientFirst(kRfcClientFirst);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, kRfcServerFirst);
  auto final_message = server.HandleClientFinal(kRfcClientFinal);
  ASSERT_TRUE(final_message.ok()) << final_message.status().ToString();
  EXPECT_EQ(*final_message, kRfcServerFinal);
}

TEST(ScramTest, WrongProofFails28P01) {
  ScramServer server(MakeScramVerifier("other", *Base64Decode(kRfcSalt), 4096), true,
                     std::string(kRfcServerNonce));
  ASSERT_TRUE(server.HandleClientFirst(kRfcClientFirst).ok());
  auto result = server.HandleClientFinal(kRfcClientFinal);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sqlstate(), "28P01");
}

TEST(ScramTest, UnknownRoleFailsEvenWithMatchingProof) {
  ScramServer server(RfcVerifier(), false, std::string(kRfcServerNonce));
  ASSERT_TRUE(server.HandleClientFirst(kRfcClientFirst).ok());
  auto result = server.HandleClientFinal(kRfcClientFinal);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sqlstate(), "28P01");
}

TEST(ScramTest, FullExchangeWithTestClient) {
  OpenSslRandomSource random;
  ScramVerifier verifier = MakeScramVerifier("s3cret", random.Bytes(kScramSaltSizeBytes), 4096);
  auto parsed = ScramVerifier::Parse(verifier.ToString());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToString(), verifier.ToString());
  EXPECT_TRUE(PasswordMatchesVerifier("s3cret", *parsed));
  EXPECT_FALSE(PasswordMatchesVerifier("s3cret ", *parsed));

  ScramServer server(*parsed, true, Base64Encode(random.Bytes(kScramNonceSizeBytes)));
  testing::ScramTestClient client("s3cret", "clientnonce123");
  auto first = server.HandleClientFirst(client.ClientFirst());
  ASSERT_TRUE(first.ok());
  auto final_message = server.HandleClientFinal(client.ClientFinal(*first));
  ASSERT_TRUE(final_message.ok()) << final_message.status().ToString();
  EXPECT_TRUE(client.VerifyServerFinal(*final_message));
}

TEST(ScramTest, VerifierFormatMatchesPostgres) {
  ScramVerifier verifier = RfcVerifier();
  std::string text = verifier.ToString();
  EXPECT_EQ(text.rfind("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$", 0), 0u) << text;
  for (std::string_view bad :
       {"", "SCRAM-SHA-256$", "md5abc", "SCRAM-SHA-256$0:AAAA$AAAA:AAAA",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:AAAA", "SCRAM-SHA-256$x:AA==$a:b"}) {
    EXPECT_FALSE(ScramVerifier::Parse(bad).ok()) << bad;
  }
}

TEST(ScramTest, MalformedMessagesFail08P01) {
  for (std::string_view bad :
       {"", "n", "x,,n=,r=abc", "p=tls-server-end-point,,n=,r=abc", "n,a=bob,n=,r=abc", "n,,r=abc",
        "n,,n=,r=", "n,,m=ext,n=,r=abc", "n,,n=,r=a,b"}) {
    ScramServer server(RfcVerifier(), true, "srvnonce");
    auto result = server.HandleClientFirst(bad);
    if (bad == "n,,n=,r=a,b") {
      EXPECT_TRUE(result.ok());  // extensions after the nonce are allowed
      continue;
    }
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().sqlstate(), "08P01") << bad;
  }
  for (std::string_view bad : {"", "c=biws", "c=biws,r=abcsrvnonce", "c=eSws,r=abcsrvnonce,p=AAAA",
                               "c=biws,r=wrong,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                               "c=biws,r=abcsrvnonce,p=!!!!"}) {
    ScramServer server(RfcVerifier(), true, "srvnonce");
    ASSERT_TRUE(server.HandleClientFirst("n,,n=,r=abc").ok());
    auto result = server.HandleClientFinal(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().sqlstate(), "08P01") << bad;
  }
}

TEST(ScramTest, MessagesOutOfOrderFail) {
  ScramServer server(RfcVerifier(), true, "srvnonce");
  EXPECT_FALSE(server.HandleClientFinal("c=biws,r=x,p=AAAA").ok());
  EXPECT_FALSE(server.HandleClientFirst(kRfcClientFirst).ok());
}

}  // namespace
}  // namespace borealis::auth
