#include "pgwire/encoder.h"

#include "common/check.h"

namespace borealis::pgwire {
namespace {

constexpr int32_t kAuthOk = 0;
constexpr int32_t kAuthCleartextPassword = 3;
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;

}  // namespace

void BackendWriter::Begin(char type) {
  BOREALIS_CHECK(!in_message_);
  if (buffer_.capacity() == 0) buffer_.reserve(kInitialOutputBytes);
  in_message_ = true;
  message_start_ = buffer_.size() + 1;
  buffer_.push_back(type);
  buffer_.append(4, '\0');  // length, patched by End()
}

void BackendWriter::End() {
  BOREALIS_CHECK(in_message_);
  size_t length = buffer_.size() - message_start_;
  BOREALIS_CHECK(length <= 0x7fffffffu, length);
  uint32_t v = static_cast<uint32_t>(length);
  buffer_[message_start_] = static_cast<char>(v >> 24);
  buffer_[message_start_ + 1] = static_cast<char>(v >> 16);
  buffer_[message_start_ + 2] = static_cast<char>(v >> 8);
  buffer_[message_start_ + 3] = static_cast<char>(v);
  in_message_ = false;
}

void BackendWriter::PutInt32(int32_t value) {
  uint32_t v = static_cast<uint32_t>(value);
  char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                   static_cast<char>(v >> 8), static_cast<char>(v)};
  buffer_.append(bytes, 4);
}

void BackendWriter::PutInt16(int16_t value) {
  uint16_t v = static_cast<uint16_t>(value);
  buffer_.push_back(static_cast<char>(v >> 8));
  buffer_.push_back(static_cast<char>(v));
}

void BackendWriter::PutString(std::string_view s) {
  // A NUL inside would end the string early on the client; PostgreSQL never sends one.
  size_t nul = s.find('\0');
  buffer_.append(s.substr(0, nul));
  buffer_.push_back('\0');
}

void BackendWriter::EmptyMessage(char type) {
  Begin(type);
  End();
}

void BackendWriter::RawByte(char c) {
  BOREALIS_CHECK(!in_message_);
  buffer_.push_back(c);
}

void BackendWriter::AuthenticationOk() {
  Begin('R');
  PutInt32(kAuthOk);
  End();
}

void BackendWriter::AuthenticationCleartextPassword() {
  Begin('R');
  PutInt32(kAuthCleartextPassword);
  End();
}

void BackendWriter::AuthenticationSasl(std::span<const std::string_view> mechanisms) {
  Begin('R');
  PutInt32(kAuthSasl);
  for (std::string_view mechanism : mechanisms) PutString(mechanism);
  buffer_.push_back('\0');
  End();
}

void BackendWriter::AuthenticationSaslContinue(std::string_view data) {
  Begin('R');
  PutInt32(kAuthSaslContinue);
  buffer_.append(data);
  End();
}

void BackendWriter::AuthenticationSaslFinal(std::string_view data) {
  Begin('R');
  PutInt32(kAuthSaslFinal);
  buffer_.append(data);
  End();
}

void BackendWriter::NegotiateProtocolVersion(int32_t newest_minor,
                                             std::span<const std::string> options) {
  Begin('v');
  PutInt32(newest_minor);
  PutInt32(static_cast<int32_t>(options.size()));
  for (const std::string& option : options) PutString(option);
  End();
}

void BackendWriter::BackendKeyData(int32_t pid, int32_t secret) {
  Begin('K');
  PutInt32(pid);
  PutInt32(secret);
  End();
}

void BackendWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  PutString(name);
  PutString(value);
  End();
}

void BackendWriter::ReadyForQuery(char transaction_status) {
  BOREALIS_CHECK(
      transaction_status == 'I' || transaction_status == 'T' || transaction_status == 'E',
      int(transaction_status));
  Begin('Z');
  buffer_.push_back(transaction_status);
  End();
}

void BackendWriter::RowDescription(const std::vector<qp::FieldDescription>& fields) {
  BOREALIS_CHECK(fields.size() <= 0x7fff, fields.size());
  Begin('T');
  PutInt16(static_cast<int16_t>(fields.size()));
  for (const qp::FieldDescription& field : fields) {
    PutString(field.name);
    PutInt32(static_cast<int32_t>(field.table_oid));
    PutInt16(field.column_number);
    PutInt32(static_cast<int32_t>(field.type_oid));
    PutInt16(field.type_size);
    PutInt32(field.type_modifier);
    PutInt16(field.format);
  }
  End();
}

void BackendWriter::DataRow(const qp::WireRow& row) {
  BOREALIS_CHECK(row.size() <= 0x7fff, row.size());
  Begin('D');
  PutInt16(static_cast<int16_t>(row.size()));
  for (const qp::WireValue& value : row) {
    if (!value) {
      PutInt32(-1);
      continue;
    }
    BOREALIS_CHECK(value->size() <= 0x7fffffffu, value->size());
    PutInt32(static_cast<int32_t>(value->size()));
    buffer_.append(*value);
  }
  End();
}

void BackendWriter::CommandComplete(std::string_view tag) {
  Begin('C');
  PutString(tag);
  End();
}

void BackendWriter::EmptyQueryResponse() { EmptyMessage('I'); }

void BackendWriter::Field(char code, std::string_view value) {
  buffer_.push_back(code);
  PutString(value);
}

void BackendWriter::ErrorResponse(const Status& status, Severity severity) {
  BOREALIS_CHECK(!status.ok());
  const char* severity_text = severity == Severity::kFatal ? "FATAL" : "ERROR";
  Begin('E');
  Field('S', severity_text);
  Field('V', severity_text);
  Field('C', status.sqlstate().size() == 5 ? std::string_view(status.sqlstate()) : "XX000");
  Field('M', status.message());
  if (!status.detail().empty()) Field('D', status.detail());
  if (!status.hint().empty()) Field('H', status.hint());
  if (status.position() > 0) Field('P', std::to_string(status.position()));
  if (!status.context().empty()) Field('W', status.context());
  buffer_.push_back('\0');
  End();
}

void BackendWriter::NoticeResponse(const qp::Notice& notice) {
  Begin('N');
  Field('S', notice.severity);
  Field('V', notice.severity);
  Field('C', notice.sqlstate.size() == 5 ? std::string_view(notice.sqlstate) : "00000");
  Field('M', notice.message);
  if (!notice.detail.empty()) Field('D', notice.detail);
  if (!notice.hint.empty()) Field('H', notice.hint);
  buffer_.push_back('\0');
  End();
}

void BackendWriter::ParseComplete() { EmptyMessage('1'); }
void BackendWriter::BindComplete() { EmptyMessage('2'); }
void BackendWriter::CloseComplete() { EmptyMessage('3'); }
void BackendWriter::NoData() { EmptyMessage('n'); }
void BackendWriter::PortalSuspended() { EmptyMessage('s'); }

void BackendWriter::ParameterDescription(const std::vector<uint32_t>& types) {
  BOREALIS_CHECK(types.size() <= 0xffff, types.size());
  Begin('t');
  PutInt16(static_cast<int16_t>(static_cast<uint16_t>(types.size())));
  for (uint32_t type : types) PutInt32(static_cast<int32_t>(type));
  End();
}

void BackendWriter::CopyInResponse(int8_t format, std::span<const int16_t> column_formats) {
  BOREALIS_CHECK(column_formats.size() <= 0x7fff);
  Begin('G');
  buffer_.push_back(static_cast<char>(format));
  PutInt16(static_cast<int16_t>(column_formats.size()));
  for (int16_t f : column_formats) PutInt16(f);
  End();
}

void BackendWriter::CopyOutResponse(int8_t format, std::span<const int16_t> column_formats) {
  BOREALIS_CHECK(column_formats.size() <= 0x7fff);
  Begin('H');
  buffer_.push_back(static_cast<char>(format));
  PutInt16(static_cast<int16_t>(column_formats.size()));
  for (int16_t f : column_formats) PutInt16(f);
  End();
}

void BackendWriter::CopyData(std::string_view data) {
  Begin('d');
  buffer_.append(data);
  End();
}

void BackendWriter::CopyDone() { EmptyMessage('c'); }

void BackendWriter::Consume(size_t n) {
  BOREALIS_CHECK(!in_message_);
  BOREALIS_CHECK_LE(n, buffer_.size());
  buffer_.erase(0, n);
}

void BackendWriter::Truncate(size_t size) {
  BOREALIS_CHECK(!in_message_);
  BOREALIS_CHECK_LE(size, buffer_.size());
  buffer_.resize(size);
}

void BackendWriter::ShrinkIfIdle() {
  if (buffer_.empty() && buffer_.capacity() > kIdleOutputCapacityBytes) {
    std::string().swap(buffer_);
  }
}

}  // namespace borealis::pgwire
