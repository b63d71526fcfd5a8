#include "transparency/signed_note.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "transparency/tlog_checkpoint.h"

namespace gavel::note {
namespace {

// The example of the reference implementation (golang.org/x/mod/sumdb/note,
// note_test.go): its private key is "PRIVATE+KEY+PeterNeumann+c74f20a3+" +
// base64(0x01 || seed), its verifier key and the signed note below. Ed25519
// is deterministic, so signing the text must reproduce the note exactly.
constexpr absl::string_view kSeedKey =
    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr absl::string_view kVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr absl::string_view kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr absl::string_view kNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
    "RZb6KE6RyyBwJnAM=\n";

NoteSigner PeterNeumann() {
  std::string key;
  EXPECT_TRUE(absl::Base64Unescape(kSeedKey, &key));
  EXPECT_EQ(key[0], '\x01');
  absl::StatusOr<NoteSigner> signer =
      NoteSigner::FromSeed("PeterNeumann", key.substr(1));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *std::move(signer);
}

TEST(SignedNoteTest, ReproducesTheReferenceExample) {
  NoteSigner signer = PeterNeumann();
  EXPECT_EQ(signer.verifier().KeyString(), kVerifierKey);
  EXPECT_EQ(signer.verifier().key_id(), 0xc74f20a3u);
  absl::StatusOr<std::string> note = signer.SignNote(kText);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, kNote);
}

TEST(SignedNoteTest, VerifiesTheReferenceExampleFromItsKeyString) {
  absl::StatusOr<NoteVerifier> verifier =
      NoteVerifier::FromKeyString(kVerifierKey);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->key_name(), "PeterNeumann");
  absl::StatusOr<std::string> text = VerifyNote(kNote, *verifier);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, kText);
}

TEST(SignedNoteTest, ModifiedTextFailsVerification) {
  absl::StatusOr<NoteVerifier> verifier =
      NoteVerifier::FromKeyString(kVerifierKey);
  ASSERT_TRUE(verifier.ok());
  std::string note(kNote);
  note[note.find("cryptography")] = 'C';
  EXPECT_EQ(VerifyNote(note, *verifier).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SignedNoteTest, OtherKeyFailsVerification) {
  absl::StatusOr<NoteSigner> other = NoteSigner::Generate("PeterNeumann");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(VerifyNote(kNote, other->verifier()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SignedNoteTest, MalformedNotesAreInvalidArgument) {
  absl::StatusOr<NoteVerifier> verifier =
      NoteVerifier::FromKeyString(kVerifierKey);
  ASSERT_TRUE(verifier.ok());
  const std::string note(kNote);
  for (const std::string& bad : {
           std::string(""),
           std::string(kText),               // no signatures
           note.substr(0, note.size() - 1),  // no final newline
           std::string(kText) + "\n-- PeterNeumann x08go/ZJ\n",   // no em dash
           std::string(kText) + "\n\xE2\x80\x94 PeterNeumann\n",  // no sig
           std::string(kText) + "\n\xE2\x80\x94 Peter+Neumann AAAAAAA=\n",
           std::string(kText) + "\n\xE2\x80\x94 PeterNeumann AAAA\n",  // short
           std::string(kText) + "\n\xE2\x80\x94 PeterNeumann AAAAAA==x\n",
           std::string("\xFF\n\n") + note.substr(kText.size() + 1),  // UTF-8
           std::string("a\tb") + note.substr(1),  // a control character
           std::string("a\rb") + note.substr(1),
           std::string(kMaxNoteBytes, 'x') + note,  // oversize
       }) {
    EXPECT_EQ(VerifyNote(bad, *verifier).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(SignedNoteTest, MalformedVerifierKeysAreRefused) {
  const std::string key(kVerifierKey);
  EXPECT_FALSE(NoteVerifier::FromKeyString("").ok());
  EXPECT_FALSE(NoteVerifier::FromKeyString(key.substr(0, key.size() - 4)).ok());
  std::string wrong_id = key;
  wrong_id[key.find('+') + 1] = 'd';
  EXPECT_FALSE(NoteVerifier::FromKeyString(wrong_id).ok());
  std::string wrong_name = key;
  wrong_name[0] = 'Q';
  EXPECT_FALSE(NoteVerifier::FromKeyString(wrong_name).ok());
  EXPECT_FALSE(NoteVerifier::FromKeyString("a b+c74f20a3+ARpc2QcUPDhMQegwxbzhKq"
                                           "iBfsVkmqq/LDE4izWy10TW")
                   .ok());
}

TEST(SignedNoteTest, PemRoundTripKeepsTheKey) {
  absl::StatusOr<NoteSigner> signer = NoteSigner::Generate("example.com/log");
  ASSERT_TRUE(signer.ok());
  absl::StatusOr<std::string> pem = signer->ToPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_THAT(*pem, ::testing::HasSubstr("BEGIN PRIVATE KEY"));
  absl::StatusOr<NoteSigner> again =
      NoteSigner::FromPem("example.com/log", *pem);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->verifier().KeyString(), signer->verifier().KeyString());
  EXPECT_FALSE(NoteSigner::FromPem("example.com/log", "not a key").ok());
}

TEST(TlogCheckpointTest, SignedCheckpointRoundTrips) {
  NoteSigner signer = PeterNeumann();
  TlogCheckpoint checkpoint;
  checkpoint.origin = "example.com/log";
  checkpoint.tree_size = 42;
  checkpoint.root = rfc9162::HashLeaf("x");
  const std::string body = FormatCheckpoint(checkpoint);
  EXPECT_EQ(body, "example.com/log\n42\n" +
                      absl::Base64Escape(rfc9162::AsBytes(checkpoint.root)) +
                      "\n");
  absl::StatusOr<std::string> note = signer.SignNote(body);
  ASSERT_TRUE(note.ok());
  absl::StatusOr<TlogCheckpoint> parsed =
      VerifyCheckpoint(*note, "example.com/log", signer.verifier());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->tree_size, 42u);
  EXPECT_EQ(parsed->root, checkpoint.root);
  EXPECT_EQ(VerifyCheckpoint(*note, "other.com/log", signer.verifier())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  std::string tampered = *note;
  tampered[tampered.find("42")] = '5';
  EXPECT_EQ(VerifyCheckpoint(tampered, "example.com/log", signer.verifier())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(TlogCheckpointTest, MalformedBodiesAreInvalidArgument) {
  const std::string root =
      absl::Base64Escape(rfc9162::AsBytes(rfc9162::EmptyRoot()));
  EXPECT_TRUE(ParseCheckpoint("log\n0\n" + root + "\n").ok());
  EXPECT_TRUE(ParseCheckpoint("log\n7\n" + root + "\next\n").ok());
  for (const std::string& bad : std::vector<std::string>{
           "log\n0\n" + root,                            // no final newline
           "log\n0\n",                                   // no root
           "\n0\n" + root + "\n",                        // empty origin
           "log\n07\n" + root + "\n",                    // leading zero
           "log\n-1\n" + root + "\n",                    // sign
           "log\n18446744073709551616\n" + root + "\n",  // overflow
           "log\n1\nAAAA\n",                             // short root
           "log\n1\n" + root + "\n\n",                   // empty extension
       }) {
    EXPECT_EQ(ParseCheckpoint(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace gavel::note
