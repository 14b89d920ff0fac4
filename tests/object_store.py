"""A local S3-compatible server for tests: moto's server mode on 127.0.0.1, with IAM authentication on, so that a
request signed with a wrong key or a wrong signature is refused as a real S3 refuses it."""

import json
import socket
import urllib.request
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

BUCKET = "atrium-test"


@dataclass(frozen=True)
class LocalS3:
    endpoint: str
    access_key_id: str
    secret_access_key: str

    def url(self, prefix: str, bucket: str = BUCKET) -> str:
        """An ATRIUM_BLOB_STORE_URL for `prefix` in the bucket."""
        return f"s3://{bucket}/{prefix}?endpoint={self.endpoint}&region=us-east-1"

    def client(self):
        """A boto3 client with the same key, to look at the bucket from outside Atrium."""
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key)


def start_local_s3() -> tuple[ThreadedMotoServer, LocalS3]:
    """Start the server, make a user allowed s3:* with one access key and the bucket, then require signatures."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    setup = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup",
                 aws_secret_access_key="setup")
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="atrium")
    iam.put_user_policy(UserName="atrium", PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="atrium")["AccessKey"]
    boto3.client("s3", **setup).create_bucket(Bucket=BUCKET)
    # From here on every request must be signed by a known key, and the signature must match.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                                  headers={"Content-Type": "text/plain"}))
    return server, LocalS3(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
