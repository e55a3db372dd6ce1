// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title Devnet ERC20 stake token. The initial supply goes to `holder`; anyone may mint
///        (devnet only: the token has no value).
contract TestToken is IERC20 {
    /// @notice The allowance is below the amount.
    error ERC20InsufficientAllowance();
    /// @notice Tokens cannot go to the zero address.
    error ERC20InvalidReceiver();
    /// @notice The balance is below the amount.
    error ERC20InsufficientBalance();

    /// @notice Token name.
    string public name;
    /// @notice Token symbol.
    string public symbol;
    /// @notice 18 decimals.
    uint8 public constant decimals = 18;
    /// @notice Tokens in existence.
    uint256 public totalSupply;
    /// @notice Account => balance.
    mapping(address => uint256) public balanceOf;
    /// @notice Owner => spender => allowance.
    mapping(address => mapping(address => uint256)) public allowance;

    constructor(string memory _name, string memory _symbol, uint256 initialSupply, address holder) {
        name = _name;
        symbol = _symbol;
        _mint(holder, initialSupply);
    }

    /// @notice Creates `amount` tokens for `to` (devnet: anyone may mint).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Moves `amount` of the caller's tokens to `to`; returns true.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice Lets `spender` move up to `amount` of the caller's tokens; returns true.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves `amount` of `from`'s tokens to `to` within the caller's allowance; returns true.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) {
            if (!(a >= amount)) revert ERC20InsufficientAllowance();
            allowance[from][msg.sender] = a - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) internal {
        if (!(to != address(0))) revert ERC20InvalidReceiver();
        uint256 b = balanceOf[from];
        if (!(b >= amount)) revert ERC20InsufficientBalance();
        balanceOf[from] = b - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) internal {
        if (!(to != address(0))) revert ERC20InvalidReceiver();
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }
}
