// Stands in for dockerode/lib/session.js in our bundles. The real module loads gRPC and protobuf (about 400 KB)
// to open BuildKit sessions for `buildImage({ version: '2' })`, which Compose Blueprint never calls: builds go
// through the docker/compose CLI. Failing loudly keeps a future caller from a silent wrong build.
module.exports = function withSession(_docker, _auth, handler) {
  handler(new Error('BuildKit sessions are not part of the Compose Blueprint bundle (dockerode buildImage version 2)'));
};
