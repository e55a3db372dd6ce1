// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

/// @dev The forge cheatcodes the tests use (HEVM address).
interface Vm {
    function prank(address sender) external;
    function prank(address sender, address origin) external;
    function startPrank(address sender) external;
    function startPrank(address sender, address origin) external;
    function stopPrank() external;
    function roll(uint256 blockNumber) external;
    function warp(uint256 timestamp) external;
    function expectRevert() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function signP256(uint256 privateKey, bytes32 digest) external pure returns (bytes32 r, bytes32 s);
    function publicKeyP256(uint256 privateKey) external pure returns (uint256 publicKeyX, uint256 publicKeyY);
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;
    function readFileBinary(string calldata path) external view returns (bytes memory);
}

/// @dev Minimal test base: assertions revert with a message.
abstract contract TestBase {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    function fail(string memory m) internal pure {
        revert(m);
    }

    function assertTrue(bool c, string memory m) internal pure {
        if (!c) revert(m);
    }

    function assertEq(uint256 a, uint256 b, string memory m) internal pure {
        if (a != b) revert(string(abi.encodePacked(m, ": ", _u(a), " != ", _u(b))));
    }

    function assertEq(bytes32 a, bytes32 b, string memory m) internal pure {
        if (a != b) revert(string(abi.encodePacked(m, ": ", _h(a), " != ", _h(b))));
    }

    function assertEq(address a, address b, string memory m) internal pure {
        if (a != b) revert(m);
    }

    function assertEq(bytes memory a, bytes memory b, string memory m) internal pure {
        if (keccak256(a) != keccak256(b)) revert(m);
    }

    function _u(uint256 v) internal pure returns (string memory) {
        if (v == 0) return "0";
        bytes memory b = new bytes(78);
        uint256 n;
        while (v != 0) {
            b[77 - n++] = bytes1(uint8(48 + v % 10));
            v /= 10;
        }
        bytes memory o = new bytes(n);
        for (uint256 i = 0; i < n; i++) o[i] = b[78 - n + i];
        return string(o);
    }

    function _h(bytes32 v) internal pure returns (string memory) {
        bytes memory o = new bytes(66);
        o[0] = "0";
        o[1] = "x";
        bytes16 hexd = "0123456789abcdef";
        for (uint256 i = 0; i < 32; i++) {
            o[2 + 2 * i] = hexd[uint8(v[i]) >> 4];
            o[3 + 2 * i] = hexd[uint8(v[i]) & 15];
        }
        return string(o);
    }
}
