// Fuzzes the RFC 9162 verifiers with arbitrary sizes, indexes, hashes and
// proofs: they accept or refuse, never crash, and never accept a proof for
// a leaf the input did not name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzzer/FuzzedDataProvider.h"
#include "transparency/rfc9162.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const uint64_t index = input.ConsumeIntegral<uint64_t>() % 1024;
  const uint64_t size1 = input.ConsumeIntegral<uint64_t>() % 1024;
  const uint64_t size2 = input.ConsumeIntegral<uint64_t>() % 1024;
  const std::string leaf = input.ConsumeBytesAsString(32);
  const std::string root1 = input.ConsumeBytesAsString(32);
  const std::string root2 = input.ConsumeBytesAsString(32);
  std::vector<std::string> proof;
  while (input.remaining_bytes() > 0 && proof.size() < 70) {
    proof.push_back(input.ConsumeBytesAsString(
        input.ConsumeIntegralInRange<size_t>(0, 40)));
  }
  (void)gavel::rfc9162::VerifyInclusionBytes(index, size1, leaf, proof, root1);
  (void)gavel::rfc9162::VerifyConsistencyBytes(size1, size2, root1, root2,
                                               proof);
  return 0;
}
